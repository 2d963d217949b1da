import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.environ["FRONTEND_URL"]])


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(50), unique=True, nullable=False)
    password = db.Column(db.String(200), nullable=False)
    bio = db.Column(db.String(200), default="")

    def serialize(self):
        return {"id": self.id, "username": self.username, "bio": self.bio}


with app.app_context():
    db.create_all()


@app.route("/users", methods=["POST"])
def create_user():
    data = request.get_json()
    if not data.get("username") or not data.get("password"):
        return jsonify(msg="Missing fields"), 400
    user = User(username=data["username"], password=generate_password_hash(data["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(user.serialize()), 201


@app.route("/login", methods=["POST"])
def login():
    data = request.get_json()
    user = User.query.filter_by(username=data.get("username")).first()
    if user is None or not check_password_hash(user.password, data.get("password", "")):
        return jsonify(msg="Bad username or password"), 401
    token = create_access_token(identity=str(user.id))
    return jsonify(token=token, user_id=user.id)


@app.route("/profile", methods=["GET"])
@jwt_required()
def profile():
    # user_id from the url so we can also show other people's profiles
    user_id = request.args.get("user_id") or get_jwt_identity()
    user = db.session.get(User, int(user_id))
    if user is None:
        return jsonify(msg="User not found"), 404
    return jsonify(user.serialize())
